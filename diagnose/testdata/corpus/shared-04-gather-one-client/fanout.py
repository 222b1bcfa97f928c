import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import AzureOpenAIChatCompletionClient

client = AzureOpenAIChatCompletionClient(
    azure_deployment="gpt-4o",
    model="gpt-4o",
    api_version="2024-08-01-preview",
    azure_endpoint="https://contoso.openai.azure.com/",
    api_key=os.environ["AZURE_OPENAI_API_KEY"],
)


async def classify(ticket: str) -> str:
    agent = AssistantAgent("classifier", model_client=client, system_message="Classify the ticket: bug, question or feature.")
    result = await agent.run(task=ticket)
    return result.messages[-1].content


async def main(tickets):
    return await asyncio.gather(*[classify(t) for t in tickets])


tickets = [f"Ticket {i}: app crashes on save" for i in range(20)]
print(asyncio.run(main(tickets)))
