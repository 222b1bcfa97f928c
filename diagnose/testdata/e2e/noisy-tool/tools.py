from pathlib import Path

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient


def read_log(path: str) -> str:
    """Return the log file so the agent can find the error."""
    return Path(path).read_text()


client = OpenAIChatCompletionClient(model="gpt-4o")
debugger = AssistantAgent("debugger", model_client=client, tools=[read_log], reflect_on_tool_use=True)
team = RoundRobinGroupChat([debugger], termination_condition=MaxMessageTermination(8))
