from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import SelectorGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o-mini")
planner = AssistantAgent("planner", model_client=client)
coder = AssistantAgent("coder", model_client=client)
termination = None
team = SelectorGroupChat(  # want RLD1002 "SelectorGroupChat.*selector model call"
    [planner, coder],
    model_client=client,
    termination_condition=termination,
)

from autogen_agentchat.teams import MagenticOneGroupChat

m1 = MagenticOneGroupChat([planner, coder], model_client=client, max_turns=None)  # want RLD1002 "m1 = MagenticOneGroupChat\(...\) has no termination_condition and no max_turns"
