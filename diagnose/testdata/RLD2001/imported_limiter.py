import asyncio

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

from .limits import openai_sem  # a semaphore made in the project's own module

client = OpenAIChatCompletionClient(model="gpt-4o-mini")


async def review(doc: str) -> str:
    async with openai_sem:
        agent = AssistantAgent("reviewer", model_client=client)
        return (await agent.run(task=doc)).messages[-1].content


async def main(docs):
    return await asyncio.gather(*[review(d) for d in docs])
