import asyncio
from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

OPENAI_KEY = "sk-proj-QuXpxxSrWLYubZWWuONUCzDhTCjoACmMCdN674VPmtFehhIR"

summarizer = AssistantAgent("summarizer",
    model_client=OpenAIChatCompletionClient(model="gpt-4o-mini", api_key=OPENAI_KEY))
translator = AssistantAgent("translator",
    model_client=OpenAIChatCompletionClient(model="gpt-4o-mini", api_key=OPENAI_KEY))
tagger = AssistantAgent("tagger",
    model_client=OpenAIChatCompletionClient(model="gpt-4o-mini", api_key=OPENAI_KEY))


async def process(doc):
    return await asyncio.gather(
        summarizer.run(task=f"Summarize: {doc}"),
        translator.run(task=f"Translate to German: {doc}"),
        tagger.run(task=f"Give 5 tags for: {doc}"),
    )


async def main(docs):
    await asyncio.gather(*(process(d) for d in docs))
