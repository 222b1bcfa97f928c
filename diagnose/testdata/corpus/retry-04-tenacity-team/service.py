from tenacity import retry, stop_after_attempt, wait_fixed, retry_if_exception_type
from openai import RateLimitError
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o", max_retries=10, timeout=60)

analyst = AssistantAgent("analyst", model_client=client)
checker = AssistantAgent("checker", model_client=client)
team = RoundRobinGroupChat([analyst, checker], termination_condition=MaxMessageTermination(6))


@retry(stop=stop_after_attempt(8), wait=wait_fixed(2), retry=retry_if_exception_type((RateLimitError, RuntimeError)))
async def analyse(ticket: str):
    await team.reset()
    return await team.run(task=ticket)
