from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient
from tenacity import retry, stop_after_attempt, wait_random_exponential

client = OpenAIChatCompletionClient(model="gpt-4o", max_retries=5)
agent = AssistantAgent("helper", model_client=client)


@retry(wait=wait_random_exponential(min=1, max=60), stop=stop_after_attempt(6))
async def ask(question: str):
    return await agent.run(task=question)  # want RLD3001 "tenacity @retry on line 9 on top of the client's max_retries=5"
