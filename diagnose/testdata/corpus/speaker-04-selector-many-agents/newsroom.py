from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import SelectorGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

big = OpenAIChatCompletionClient(model="gpt-4o")

roles = ["editor", "reporter", "fact_checker", "photo_desk", "legal", "seo", "copy_editor", "social"]
staff = [AssistantAgent(r, model_client=big, description=f"The newsroom {r.replace('_', ' ')}.") for r in roles]

stop = TextMentionTermination("PUBLISH") | MaxMessageTermination(120)
newsroom = SelectorGroupChat(staff, model_client=big, termination_condition=stop,
                             allow_repeated_speaker=True)
