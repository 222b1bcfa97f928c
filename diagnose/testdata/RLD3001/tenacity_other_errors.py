import backoff
from tenacity import retry, retry_if_exception_type, retry_if_result, stop_after_attempt, wait_fixed
from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o")
agent = AssistantAgent("a", model_client=client)


# Retries a parse failure, not a 429: the client's own retries are the only layer for those.
@retry(retry=retry_if_exception_type(ValueError), stop=stop_after_attempt(3), wait=wait_fixed(1))
async def extract(text):
    res = await agent.run(task=f"Extract JSON from: {text}")
    return parse_json(res.messages[-1].content)


@retry(retry=retry_if_result(lambda r: r is None), stop=stop_after_attempt(3))
async def answer(q):
    return await agent.run(task=q)


@backoff.on_exception(backoff.expo, KeyError, max_tries=3)
async def lookup(q):
    return await agent.run(task=q)


@backoff.on_predicate(backoff.fibo, lambda r: not r.messages, max_tries=4)
async def until_nonempty(q):
    return await agent.run(task=q)


# Re-running on a bad answer is not a retry on errors.
async def loop_on_quality(task):
    for attempt in range(3):
        res = await agent.run(task=task)
        if "OK" in res.messages[-1].content:
            break
    return res
