import asyncio

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient


def create_team(model_client):
    coder = AssistantAgent("coder", model_client=model_client, system_message="Write Python code for the task.")
    reviewer = AssistantAgent("reviewer", model_client=model_client, system_message="Review the code. Say APPROVE when it is good.")
    return RoundRobinGroupChat(participants=[coder, reviewer])


async def main():
    client = OpenAIChatCompletionClient(model="gpt-4o")
    team = create_team(client)
    await Console(team.run_stream(task="Write a function that parses ISO 8601 durations."))


if __name__ == "__main__":
    asyncio.run(main())
