from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import SelectorGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient

model_client = OpenAIChatCompletionClient(model="gpt-4o")

ROLES = {
    "planner": "Break the task into steps.",
    "searcher": "Search the web for facts.",
    "analyst": "Analyse the numbers.",
    "coder": "Write Python when needed.",
    "critic": "Criticise the draft.",
    "writer": "Write the report.",
    "editor": "Edit the report.",
    "fact_checker": "Check every claim. Say TERMINATE when all claims are checked.",
}
planner = AssistantAgent("planner", model_client=model_client, system_message=ROLES["planner"])
searcher = AssistantAgent("searcher", model_client=model_client, system_message=ROLES["searcher"])
analyst = AssistantAgent("analyst", model_client=model_client, system_message=ROLES["analyst"])
coder = AssistantAgent("coder", model_client=model_client, system_message=ROLES["coder"])
critic = AssistantAgent("critic", model_client=model_client, system_message=ROLES["critic"])
writer = AssistantAgent("writer", model_client=model_client, system_message=ROLES["writer"])
editor = AssistantAgent("editor", model_client=model_client, system_message=ROLES["editor"])
fact_checker = AssistantAgent("fact_checker", model_client=model_client, system_message=ROLES["fact_checker"])

termination = TextMentionTermination("TERMINATE") | MaxMessageTermination(max_messages=50)
team = SelectorGroupChat(
    [planner, searcher, analyst, coder, critic, writer, editor, fact_checker],
    model_client=model_client,
    termination_condition=termination,
    allow_repeated_speaker=True,
)

# await Console(team.run_stream(task="Write a market report on EV batteries."))
