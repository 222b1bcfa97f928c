import asyncio

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import SelectorGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient


async def main() -> None:
    client = OpenAIChatCompletionClient(model="gpt-4o-mini")
    planner = AssistantAgent("planner_agent", model_client=client, description="Plans the trip.")
    local = AssistantAgent("local_agent", model_client=client, description="Suggests local activities.")
    language = AssistantAgent("language_agent", model_client=client, description="Gives language tips.")
    budget = AssistantAgent("budget_agent", model_client=client, description="Keeps the plan on budget.")
    summary = AssistantAgent(
        "travel_summary_agent",
        model_client=client,
        description="Writes the final plan and then says TERMINATE.",
    )
    termination = TextMentionTermination("TERMINATE") | MaxMessageTermination(20)
    team = SelectorGroupChat(
        [planner, local, language, budget, summary],
        model_client=client,
        termination_condition=termination,
    )
    await Console(team.run_stream(task="Plan a 3 day trip to Nepal."))
    await client.close()


asyncio.run(main())
