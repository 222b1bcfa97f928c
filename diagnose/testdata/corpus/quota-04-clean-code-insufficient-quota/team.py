import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient


async def main() -> None:
    client = OpenAIChatCompletionClient(model="gpt-4o-mini", api_key=os.environ["OPENAI_API_KEY"])
    writer = AssistantAgent("writer", model_client=client)
    critic = AssistantAgent("critic", model_client=client, system_message="Reply APPROVE when the text is good.")
    stop = TextMentionTermination("APPROVE") | MaxMessageTermination(8)
    team = RoundRobinGroupChat([writer, critic], termination_condition=stop)
    await Console(team.run_stream(task="Write a two-line slogan for a bakery."))
    await client.close()


asyncio.run(main())
