import asyncio

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient
from tenacity import retry, stop_after_attempt, wait_random_exponential

# The client does not retry; the app owns the only retry layer.
client = OpenAIChatCompletionClient(model="gpt-4o", max_retries=0)
agent = AssistantAgent("helper", model_client=client)


@retry(wait=wait_random_exponential(min=1, max=60), stop=stop_after_attempt(6))
async def ask(question: str):
    return await agent.run(task=question)


async def main(questions):
    # A loop over work items that logs failures is not a retry.
    for q in questions:
        try:
            await agent.run(task=q)
        except Exception as exc:
            print("failed:", exc)


asyncio.run(main(["a", "b"]))

