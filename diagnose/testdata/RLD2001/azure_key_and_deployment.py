import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import AzureOpenAIChatCompletionClient

# One key and one deployment are one bucket, not two keys.
client = AzureOpenAIChatCompletionClient(
    azure_deployment="gpt-4o",
    model="gpt-4o",
    api_version="2024-08-01-preview",
    azure_endpoint="https://contoso.openai.azure.com/",
    api_key=os.environ["AZURE_OPENAI_API_KEY"],
)


async def classify(ticket: str) -> str:
    agent = AssistantAgent("classifier", model_client=client)
    result = await agent.run(task=ticket)
    return result.messages[-1].content


async def main(tickets):
    return await asyncio.gather(*[classify(t) for t in tickets])  # want RLD2001 "asyncio.gather on line 24 runs several chats at once .*AZURE_OPENAI_API_KEY"


async def one_by_one(tickets):
    # Sequential: each run awaited before the next starts.
    out = []
    for t in tickets:
        out.append(await classify(t))
    return out
