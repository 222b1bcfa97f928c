import json
import sqlite3

import httpx
from autogen import AssistantAgent, UserProxyAgent, register_function

llm_config = {"config_list": [{"model": "gpt-4o", "api_key": "sk-placeholder"}]}
analyst = AssistantAgent("analyst", llm_config=llm_config)
executor = UserProxyAgent("executor", human_input_mode="NEVER", max_consecutive_auto_reply=5, code_execution_config=False)


def run_sql(query: str) -> str:
    """Run any SQL the model writes."""
    cur = sqlite3.connect("sales.db").execute(query)
    cols = [c[0] for c in cur.description]
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    return json.dumps(rows)  # want RLD4001 "tool run_sql returns json.dumps of a whole object \(rows\)"


def top_customers(year: int) -> str:
    """The ten best customers of a year (the query has a LIMIT)."""
    cur = sqlite3.connect("sales.db").execute("SELECT name, total FROM customers WHERE year = ? ORDER BY total DESC LIMIT 10", (year,))
    return json.dumps(cur.fetchall())


def all_orders() -> str:
    """Every order."""
    return str(list(sqlite3.connect("sales.db").execute("SELECT * FROM orders").fetchall()))  # want RLD4001 "tool all_orders returns every row a query returns"


async def fetch_page(url: str) -> str:
    """Fetch a page through an httpx client opened in a with block."""
    async with httpx.AsyncClient() as http:
        resp = await http.get(url, follow_redirects=True)
        return resp.text  # want RLD4001 "tool fetch_page returns the whole HTTP response body \(resp.text\)"


async def fetch_head(url: str) -> str:
    """Only the first 2000 characters of a page."""
    async with httpx.AsyncClient() as http:
        resp = await http.get(url)
        return resp.text[:2000]


for fn in (run_sql, top_customers, all_orders, fetch_page, fetch_head):
    register_function(fn, caller=analyst, executor=executor, description=fn.__doc__)
