import json
import os
import sqlite3

from autogen import AssistantAgent, UserProxyAgent, register_function

llm_config = {"config_list": [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}], "cache_seed": 42}


def run_sql(query: str) -> str:
    """Run a SQL query against the sales database and return the rows."""
    conn = sqlite3.connect("sales.db")
    cur = conn.execute(query)
    cols = [c[0] for c in cur.description]
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    return json.dumps(rows)


analyst = AssistantAgent("analyst", llm_config=llm_config, system_message="Answer questions with SQL. Say TERMINATE when done.")
executor = UserProxyAgent(
    "executor",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=8,
    is_termination_msg=lambda m: (m.get("content") or "").rstrip().endswith("TERMINATE"),
    code_execution_config=False,
)

register_function(run_sql, caller=analyst, executor=executor, description="Run SQL on sales.db")

executor.initiate_chat(analyst, message="Which customers bought the most in 2023?")
