import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.anthropic import AnthropicChatCompletionClient

client = AnthropicChatCompletionClient(
    model="claude-3-5-sonnet-20241022",
    api_key=os.environ["ANTHROPIC_API_KEY"],
    max_retries=4,
)
agent = AssistantAgent("analyst", model_client=client, system_message="Answer briefly.")


async def ask(question: str) -> str:
    while True:
        try:
            result = await agent.run(task=question)
            return result.messages[-1].content
        except Exception as err:
            print(f"retrying after error: {err}")
            await asyncio.sleep(10)


print(asyncio.run(ask("Summarise the causes of HTTP 429 in two lines.")))
