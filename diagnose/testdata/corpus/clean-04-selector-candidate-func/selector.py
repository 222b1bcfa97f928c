from typing import Sequence

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.messages import BaseAgentEvent, BaseChatMessage
from autogen_agentchat.teams import SelectorGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o-mini", max_retries=3)
planning_agent = AssistantAgent("PlanningAgent", model_client=client, description="Plans tasks.")
web_search_agent = AssistantAgent("WebSearchAgent", model_client=client, description="Searches the web.")
data_analyst_agent = AssistantAgent("DataAnalystAgent", model_client=client, description="Computes numbers.")


def candidate_func(messages: Sequence[BaseAgentEvent | BaseChatMessage]) -> list[str]:
    if messages[-1].source == "user":
        return [planning_agent.name]
    return [web_search_agent.name, data_analyst_agent.name, planning_agent.name]


team = SelectorGroupChat(
    [planning_agent, web_search_agent, data_analyst_agent],
    model_client=client,
    termination_condition=TextMentionTermination("TERMINATE") | MaxMessageTermination(15),
    candidate_func=candidate_func,
)
