"""A well-configured AutoGen 0.4 project: terminations, one retry layer, throttled fan-out."""
import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient

MAX_TOOL_CHARS = 4000


async def search_docs(query: str) -> str:
    """Search the docs and return the best matches, trimmed."""
    hits = [f"{query}: result {i}" for i in range(5)]
    return "\n".join(hits)[:MAX_TOOL_CHARS]


def build_team(client: OpenAIChatCompletionClient) -> RoundRobinGroupChat:
    writer = AssistantAgent("writer", model_client=client, tools=[search_docs])
    editor = AssistantAgent("editor", model_client=client, system_message="Reply APPROVE when it is good.")
    stop = TextMentionTermination("APPROVE") | MaxMessageTermination(15)
    return RoundRobinGroupChat([writer, editor], termination_condition=stop)


async def main(topics: list[str]) -> None:
    client = OpenAIChatCompletionClient(model="gpt-4o-mini", api_key=os.environ["OPENAI_API_KEY"], max_retries=3)
    limit = asyncio.Semaphore(2)

    async def one(topic: str):
        async with limit:
            return await build_team(client).run(task=f"Write a short note on {topic}")

    await asyncio.gather(*(one(t) for t in topics))
    await Console(build_team(client).run_stream(task="Write the summary."))


if __name__ == "__main__":
    asyncio.run(main(["caching", "retries", "quotas"]))
