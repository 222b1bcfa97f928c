import os
from concurrent.futures import ThreadPoolExecutor

import autogen

config_list = [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]}]


def answer(q):
    bot = autogen.AssistantAgent("bot", llm_config={"config_list": config_list})
    user = autogen.UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    return user.initiate_chat(bot, message=q, max_turns=1).summary


# Three questions written out: at most three at once, whatever the pool size.
with ThreadPoolExecutor() as pool:
    print(list(pool.map(answer, ["What is RPM?", "What is TPM?", "What is RPD?"])))

# A whole file of questions through a pool of 16.
with ThreadPoolExecutor(max_workers=16) as pool:
    print(list(pool.map(answer, open("questions.txt").read().splitlines())))  # want RLD2001 "ThreadPoolExecutor on line 21 runs 16 chats at once"
