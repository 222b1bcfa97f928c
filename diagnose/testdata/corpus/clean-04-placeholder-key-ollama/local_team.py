import asyncio

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_core.models import ModelFamily
from autogen_ext.models.ollama import OllamaChatCompletionClient
from autogen_ext.models.openai import OpenAIChatCompletionClient

local = OpenAIChatCompletionClient(
    model="llama3.2:latest",
    base_url="http://localhost:11434/v1",
    api_key="ollama",
    model_info={
        "vision": False,
        "function_calling": True,
        "json_output": False,
        "family": ModelFamily.UNKNOWN,
        "structured_output": True,
    },
)
ollama = OllamaChatCompletionClient(model="qwen2.5:7b")
hosted = OpenAIChatCompletionClient(model="gpt-4o-mini", api_key="YOUR_API_KEY")  # fill in before running

drafter = AssistantAgent("drafter", model_client=local)
checker = AssistantAgent("checker", model_client=ollama)
team = RoundRobinGroupChat([drafter, checker], termination_condition=MaxMessageTermination(8))

asyncio.run(team.run(task="Draft a limerick about GPUs."))
