import asyncio
import random

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient
from openai import RateLimitError

client = OpenAIChatCompletionClient(model="gpt-4o-mini", max_retries=0)
agent = AssistantAgent("summariser", model_client=client)
team = RoundRobinGroupChat([agent], termination_condition=MaxMessageTermination(2))


async def run_once(task: str, attempts: int = 4):
    delay = 1.0
    for attempt in range(attempts):
        try:
            return await team.run(task=task)
        except RateLimitError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(delay + random.random())
            delay *= 2
            await team.reset()


asyncio.run(run_once("Summarise the attached meeting notes in 5 bullets."))
