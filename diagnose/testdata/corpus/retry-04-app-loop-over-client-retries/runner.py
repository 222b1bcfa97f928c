import asyncio
import logging

import openai
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

log = logging.getLogger(__name__)

client = OpenAIChatCompletionClient(model="gpt-4o-mini", max_retries=5)
analyst = AssistantAgent("analyst", model_client=client)
writer = AssistantAgent("writer", model_client=client)
team = RoundRobinGroupChat([analyst, writer], termination_condition=MaxMessageTermination(6))


async def run_with_retry(task, attempts=5):
    for attempt in range(attempts):
        try:
            return await team.run(task=task)
        except openai.RateLimitError as exc:
            log.warning("rate limited (attempt %d): %s", attempt + 1, exc)
            await asyncio.sleep(2 ** attempt)
            await team.reset()
    raise RuntimeError("gave up")


asyncio.run(run_with_retry("Summarise last quarter's sales numbers."))
