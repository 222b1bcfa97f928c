from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import SelectorGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o")
roles = ["planner", "researcher", "coder", "tester", "reviewer", "writer"]
agents = [AssistantAgent(r, model_client=client) for r in roles]
team = SelectorGroupChat(agents, model_client=client, termination_condition=MaxMessageTermination(30))  # want RLD7002 "team \(6 participants\) has no selector_func"
