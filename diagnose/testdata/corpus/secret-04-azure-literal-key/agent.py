from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import AzureOpenAIChatCompletionClient

client = AzureOpenAIChatCompletionClient(
    azure_deployment="gpt-4o-mini",
    model="gpt-4o-mini",
    api_version="2024-06-01",
    azure_endpoint="https://my-resource.openai.azure.com/",
    api_key="3f9a1c0e7b2d4e6f8a0b1c2d3e4f5a6b",
)

agent = AssistantAgent("helper", model_client=client)
team = RoundRobinGroupChat([agent], termination_condition=MaxMessageTermination(3))
