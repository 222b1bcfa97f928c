import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o", api_key=os.environ["OPENAI_API_KEY"])


async def review(doc: str):
    agent = AssistantAgent("reviewer", model_client=client)
    return await agent.run(task=f"Review {doc}")


async def main(docs):
    results = await asyncio.gather(*[review(d) for d in docs])  # want RLD2001 "asyncio.gather on line 16 runs several chats at once \(agent.run\(...\)\), all on OPENAI_API_KEY"
    return results
