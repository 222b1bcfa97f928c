import asyncio

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient


async def main() -> None:
    model_client = OpenAIChatCompletionClient(model="gpt-4o")
    writer = AssistantAgent("writer", model_client=model_client, system_message="Write a short poem.")
    critic = AssistantAgent("critic", model_client=model_client, system_message="Critique the poem.")
    team = RoundRobinGroupChat([writer, critic])  # want RLD1002 "team = RoundRobinGroupChat\(...\) has no termination_condition and no max_turns"
    await Console(team.run_stream(task="Write a poem about the sea."))


asyncio.run(main())
