import asyncio

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient


def make_termination(max_messages: int = 12):
    text_termination = TextMentionTermination("APPROVE")
    return text_termination | MaxMessageTermination(max_messages)


def build_team(client):
    primary = AssistantAgent("primary", model_client=client, system_message="You are a helpful AI assistant.")
    critic = AssistantAgent(
        "critic",
        model_client=client,
        system_message="Provide constructive feedback. Respond with 'APPROVE' when your feedbacks are addressed.",
    )
    termination = make_termination()
    return RoundRobinGroupChat([primary, critic], termination_condition=termination)


async def main() -> None:
    model_client = OpenAIChatCompletionClient(model="gpt-4o-2024-08-06")
    team = build_team(model_client)
    await Console(team.run_stream(task="Write a short poem about the fall season."))
    await model_client.close()


asyncio.run(main())
