from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import SelectorGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient

from .conditions import STOP_CONDITION
from .prompts import PLANNER_PROMPT, RESEARCHER_PROMPT, SELECTOR_PROMPT

model_client = OpenAIChatCompletionClient(model="gpt-4o-mini", max_retries=4)

planner = AssistantAgent("planner", model_client=model_client, system_message=PLANNER_PROMPT)
researcher = AssistantAgent("researcher", model_client=model_client, system_message=RESEARCHER_PROMPT)

team = SelectorGroupChat(
    [planner, researcher],
    model_client=model_client,
    termination_condition=STOP_CONDITION,
    selector_prompt=SELECTOR_PROMPT,
)


async def run(task: str):
    return await Console(team.run_stream(task=task))
