import pandas as pd
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_core.tools import FunctionTool
from autogen_ext.models.openai import OpenAIChatCompletionClient

SALES = pd.read_csv("sales_2024.csv")  # ~250k rows


def query_sales(region: str) -> str:
    """Return the sales rows for a region."""
    rows = SALES[SALES["region"] == region]
    return rows.to_string()


def describe_table() -> str:
    """Return the whole table as JSON so the model can see the columns."""
    return SALES.to_json(orient="records")


tools = [FunctionTool(query_sales, description="Sales rows for a region"),
         FunctionTool(describe_table, description="Dump the sales table")]

model = OpenAIChatCompletionClient(model="gpt-4o-mini")
analyst = AssistantAgent("analyst", model_client=model, tools=tools, reflect_on_tool_use=True)
team = RoundRobinGroupChat([analyst], termination_condition=TextMentionTermination("TERMINATE"), max_turns=5)
