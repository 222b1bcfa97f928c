import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient


async def main() -> None:
    client = OpenAIChatCompletionClient(model="gpt-4o-mini", api_key=os.getenv("OPENAI_API_KEY"))

    author = AssistantAgent("author", model_client=client,
                            system_message="Write a short poem and revise it on feedback.")
    reviewer = AssistantAgent("reviewer", model_client=client,
                              system_message="Critique the poem. Say APPROVE when it is good.")

    team = RoundRobinGroupChat([author, reviewer])
    await Console(team.run_stream(task="A poem about autumn rain."))


asyncio.run(main())
