from typing import Sequence

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.messages import BaseAgentEvent, BaseChatMessage
from autogen_agentchat.teams import SelectorGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

model_client = OpenAIChatCompletionClient(model="gpt-4o-mini")

planning_agent = AssistantAgent("PlanningAgent", model_client=model_client,
    description="Plans tasks; should be the first to engage when given a new task.",
    system_message="Delegate tasks. When all tasks are done, summarise and end with TERMINATE.")
search_agent = AssistantAgent("WebSearchAgent", model_client=model_client,
    description="Searches the web.")
analyst_agent = AssistantAgent("DataAnalystAgent", model_client=model_client,
    description="Performs calculations.")


def planner_after_others(messages: Sequence[BaseAgentEvent | BaseChatMessage]) -> str | None:
    if messages[-1].source != planning_agent.name:
        return planning_agent.name
    return None


termination = TextMentionTermination("TERMINATE") | MaxMessageTermination(max_messages=25)

team = SelectorGroupChat(
    [planning_agent, search_agent, analyst_agent],
    model_client=model_client,
    termination_condition=termination,
    selector_func=planner_after_others,
    max_turns=12,
)
