import asyncio

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.anthropic import AnthropicChatCompletionClient


async def main() -> None:
    client = AnthropicChatCompletionClient(model="claude-3-7-sonnet-20250219", max_retries=3)
    drafter = AssistantAgent("drafter", model_client=client)
    reviewer = AssistantAgent("reviewer", model_client=client, system_message="Say LGTM when the draft is good.")
    team = RoundRobinGroupChat(
        [drafter, reviewer],
        termination_condition=TextMentionTermination("LGTM") | MaxMessageTermination(6),
    )
    await Console(team.run_stream(task="Draft release notes for version 2.1."))
    await client.close()


asyncio.run(main())
