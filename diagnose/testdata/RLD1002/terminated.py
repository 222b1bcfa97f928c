import asyncio

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import MagenticOneGroupChat, RoundRobinGroupChat, SelectorGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient


async def main() -> None:
    model_client = OpenAIChatCompletionClient(model="gpt-4o")
    primary = AssistantAgent("primary", model_client=model_client)
    critic = AssistantAgent("critic", model_client=model_client, system_message="Respond with APPROVE when done.")
    termination = TextMentionTermination("APPROVE") | MaxMessageTermination(12)
    team = RoundRobinGroupChat([primary, critic], termination_condition=termination)
    await Console(team.run_stream(task="Write a short poem."))

    capped = SelectorGroupChat([primary, critic], model_client=model_client, max_turns=6)
    await capped.run(task="Plan a trip.")

    m1 = MagenticOneGroupChat([primary], model_client=model_client)
    await Console(m1.run_stream(task="Find a fact."))


asyncio.run(main())
