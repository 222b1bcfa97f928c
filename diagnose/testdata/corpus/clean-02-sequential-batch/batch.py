import asyncio
import json
import os

import autogen

config_list = [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"], "max_retries": 3}]
llm_config = {"config_list": config_list, "cache_seed": 41, "timeout": 120}

solver = autogen.AssistantAgent("solver", llm_config=llm_config)
asker = autogen.UserProxyAgent("asker", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=2)


async def solve_all(questions):
    answers = []
    for q in questions:
        res = await asker.a_initiate_chat(solver, message=q, max_turns=2, summary_method="last_msg")
        answers.append(res.summary)
    return answers


if __name__ == "__main__":
    with open("questions.json") as fh:
        qs = json.load(fh)
    print(asyncio.run(solve_all(qs)))
