import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import MagenticOneGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

SEM = asyncio.Semaphore(2)


def make_client():
    return OpenAIChatCompletionClient(model="gpt-4o", api_key=os.environ["OPENAI_API_KEY"], max_retries=3)


async def solve(task: str) -> str:
    async with SEM:
        client = make_client()
        helper = AssistantAgent("helper", model_client=client)
        team = MagenticOneGroupChat([helper], model_client=client, max_turns=20, max_stalls=3)
        result = await team.run(task=task)
        await client.close()
        return result.stop_reason or ""


async def main(tasks):
    return await asyncio.gather(*(solve(t) for t in tasks))


if __name__ == "__main__":
    print(asyncio.run(main(["Summarise PEP 8 in five bullets.", "List three uses of asyncio.Semaphore."])))
