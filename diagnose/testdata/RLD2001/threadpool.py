from concurrent.futures import ThreadPoolExecutor

import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")


def solve(problem):
    assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list})
    user = autogen.UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=3)
    return user.initiate_chat(assistant, message=problem)


problems = [line.strip() for line in open("problems.txt")]
with ThreadPoolExecutor(max_workers=16) as pool:
    results = list(pool.map(solve, problems))  # want RLD2001 "ThreadPoolExecutor on line 16 runs 16 chats at once"
