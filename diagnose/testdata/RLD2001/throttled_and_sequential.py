import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o", api_key=os.environ["OPENAI_API_KEY"])
limit = asyncio.Semaphore(2)


async def review(doc: str):
    async with limit:
        agent = AssistantAgent("reviewer", model_client=client)
        return await agent.run(task=f"Review {doc}")


async def main(docs):
    # Bounded by the semaphore.
    await asyncio.gather(*[review(d) for d in docs])
    # Sequential runs share the key one after another: normal.
    for d in docs:
        await review(d)
