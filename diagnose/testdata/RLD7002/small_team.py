from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import SelectorGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o-mini")
planner = AssistantAgent("planner", model_client=client)
searcher = AssistantAgent("searcher", model_client=client)
analyst = AssistantAgent("analyst", model_client=client)
termination = TextMentionTermination("TERMINATE") | MaxMessageTermination(25)
team = SelectorGroupChat([planner, searcher, analyst], model_client=client, termination_condition=termination)


def pick(messages):
    return "planner" if messages[-1].source == "user" else None


big = SelectorGroupChat([planner, searcher, analyst, planner, searcher], model_client=client,
                        termination_condition=termination, selector_func=pick)
