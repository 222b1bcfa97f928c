import asyncio
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient

shared_client = OpenAIChatCompletionClient(model="gpt-4o")


def make_team():
    writer = AssistantAgent("writer", model_client=shared_client)
    editor = AssistantAgent("editor", model_client=shared_client,
                            system_message="Edit. Reply APPROVE when done.")
    stop = TextMentionTermination("APPROVE") | MaxMessageTermination(8)
    return RoundRobinGroupChat([writer, editor], termination_condition=stop)


async def main(topics):
    teams = [make_team() for _ in topics]
    results = await asyncio.gather(*(t.run(task=f"Write a product blurb about {x}") for t, x in zip(teams, topics)))
    return [r.messages[-1].content for r in results]


if __name__ == "__main__":
    topics = [f"gadget #{i}" for i in range(40)]
    print(asyncio.run(main(topics)))
