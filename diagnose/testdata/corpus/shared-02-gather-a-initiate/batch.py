import asyncio
import os
import autogen

config_list = [{"model": "gpt-4o-mini", "api_key": os.environ.get("OPENAI_API_KEY")}]
llm_config = {"config_list": config_list, "cache_seed": 42}

questions = [line.strip() for line in open("questions.txt") if line.strip()]


async def answer(q: str):
    analyst = autogen.AssistantAgent("analyst", llm_config=llm_config)
    asker = autogen.UserProxyAgent("asker", human_input_mode="NEVER",
                                   max_consecutive_auto_reply=2,
                                   code_execution_config=False)
    res = await asker.a_initiate_chat(analyst, message=q, max_turns=2)
    return res.summary


async def main():
    answers = await asyncio.gather(*[answer(q) for q in questions])
    for q, a in zip(questions, answers):
        print(q, "->", a)

asyncio.run(main())
