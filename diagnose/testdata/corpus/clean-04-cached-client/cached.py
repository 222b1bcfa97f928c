import asyncio
import tempfile

from autogen_agentchat.agents import AssistantAgent
from autogen_ext.cache_store.diskcache import DiskCacheStore
from autogen_ext.models.cache import CHAT_CACHE_VALUE_TYPE, ChatCompletionCache
from autogen_ext.models.openai import OpenAIChatCompletionClient
from diskcache import Cache


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmpdir:
        openai_client = OpenAIChatCompletionClient(model="gpt-4o")
        store = DiskCacheStore[CHAT_CACHE_VALUE_TYPE](Cache(tmpdir))
        cached_client = ChatCompletionCache(openai_client, store)

        agent = AssistantAgent("assistant", model_client=cached_client)
        result = await agent.run(task="Give me a one-line definition of rate limiting.")
        print(result.messages[-1].content)


asyncio.run(main())
