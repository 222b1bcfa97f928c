import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient


async def main() -> None:
    client = OpenAIChatCompletionClient(model="gpt-4o", api_key=os.environ["OPENAI_API_KEY"])
    author = AssistantAgent("author", model_client=client, system_message="Draft the release notes.")
    reviewer = AssistantAgent("reviewer", model_client=client, system_message="Review the draft and suggest edits.")
    team = RoundRobinGroupChat([author, reviewer])
    await Console(team.run_stream(task="Release notes for v2.3"))


asyncio.run(main())
