import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o-mini", api_key=os.environ["OPENAI_API_KEY"])
limit = asyncio.Semaphore(2)


async def grade(answer: str) -> str:
    async with limit:
        grader = AssistantAgent("grader", model_client=client,
                                system_message="Grade the answer from 1 to 5. Reply with the number only.")
        result = await grader.run(task=answer)
        return result.messages[-1].content


async def main(answers: list[str]) -> list[str]:
    return await asyncio.gather(*(grade(a) for a in answers))
