from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat, SelectorGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o")
coder = AssistantAgent("coder", model_client=client)
reviewer = AssistantAgent("reviewer", model_client=client)


# A team built in a factory is read through the factory's binding.
def create_team(model_client):
    return RoundRobinGroupChat(participants=[coder, reviewer])  # want RLD1002 "team = RoundRobinGroupChat"


team = create_team(client)


# The condition arrives as the factory's argument: bounded.
def team_with(stop):
    return RoundRobinGroupChat([coder, reviewer], termination_condition=stop)


bounded = team_with(TextMentionTermination("APPROVE") | MaxMessageTermination(10))


# Built in another function and combined with |.
def make_termination():
    return TextMentionTermination("APPROVE") | MaxMessageTermination(12)


also_bounded = RoundRobinGroupChat([coder, reviewer], termination_condition=make_termination())

# Passed positionally (early 0.4 signatures): not flagged.
positional = RoundRobinGroupChat([coder, reviewer], make_termination())
selector_positional = SelectorGroupChat([coder, reviewer], client, make_termination())


# Options handed through **kwargs we cannot see: not flagged.
def flexible_team(**options):
    return RoundRobinGroupChat([coder, reviewer], **options)


opaque = flexible_team(max_turns=6)

# A dict literal splatted in is read: it holds the cap.
TEAM_OPTS = {"max_turns": 8}
splat_ok = RoundRobinGroupChat([coder, reviewer], **TEAM_OPTS)
