import asyncio

import httpx
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_core.tools import FunctionTool
from autogen_ext.models.openai import OpenAIChatCompletionClient


async def fetch_page(url: str) -> str:
    """Fetch a web page and return its content."""
    async with httpx.AsyncClient() as http:
        resp = await http.get(url, follow_redirects=True)
        return resp.text


fetch_tool = FunctionTool(fetch_page, description="Fetch a URL")

client = OpenAIChatCompletionClient(model="gpt-4o-mini")
researcher = AssistantAgent("researcher", model_client=client, tools=[fetch_tool], reflect_on_tool_use=True)
stop = TextMentionTermination("DONE") | MaxMessageTermination(12)
team = RoundRobinGroupChat([researcher], termination_condition=stop)

asyncio.run(Console(team.run_stream(task="Summarise https://en.wikipedia.org/wiki/Rate_limiting")))
