import os
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

groq = OpenAIChatCompletionClient(
    model="llama-3.3-70b-versatile",
    base_url="https://api.groq.com/openai/v1",
    api_key=os.environ["GROQ_API_KEY"],
    model_info={"vision": False, "function_calling": True, "json_output": True, "family": "unknown", "structured_output": False},
)

drafter = AssistantAgent("drafter", model_client=groq)
reviewer = AssistantAgent("reviewer", model_client=groq)
team = RoundRobinGroupChat([drafter, reviewer], termination_condition=MaxMessageTermination(6))
