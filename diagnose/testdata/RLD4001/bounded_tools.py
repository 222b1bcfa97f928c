import pandas as pd
import requests
from autogen_agentchat.agents import AssistantAgent
from autogen_core.tools import FunctionTool
from autogen_ext.models.openai import OpenAIChatCompletionClient

MAX_CHARS = 4000


def truncate(text: str, limit: int = MAX_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


async def read_file(path: str) -> str:
    with open(path) as fh:
        return fh.read(MAX_CHARS)


async def fetch(url: str) -> str:
    resp = requests.get(url, timeout=30)
    return truncate(resp.text)


async def top_rows(path: str) -> str:
    df = pd.read_csv(path)
    return df.head(20).to_string()


async def weather(city: str) -> str:
    return f"The weather in {city} is 23 degrees and sunny."


agent = AssistantAgent(
    "analyst",
    model_client=OpenAIChatCompletionClient(model="gpt-4o"),
    tools=[read_file, FunctionTool(fetch, description="fetch a page"), top_rows, weather],
)
