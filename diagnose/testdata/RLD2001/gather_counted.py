import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o-mini", api_key=os.environ["OPENAI_API_KEY"])


async def review(doc: str) -> str:
    agent = AssistantAgent("reviewer", model_client=client)
    return (await agent.run(task=doc)).messages[-1].content


async def three_fixed():
    # Three documents spelled out: a small, short burst.
    return await asyncio.gather(*[review(d) for d in ["intro.md", "api.md", "faq.md"]])


async def two_by_range():
    return await asyncio.gather(*(review(f"part {i}") for i in range(2)))


async def many_by_range():
    return await asyncio.gather(*(review(f"part {i}") for i in range(12)))  # want RLD2001 "asyncio.gather on line 25 runs 12 chats at once"


async def from_a_file(paths):
    return await asyncio.gather(*[review(p) for p in paths])  # want RLD2001 "asyncio.gather on line 29 runs several chats at once"
