from concurrent.futures import ThreadPoolExecutor

import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")


def solve(problem):
    assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list})
    user = autogen.UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=3)
    return user.initiate_chat(assistant, message=problem)


with ThreadPoolExecutor(max_workers=16) as pool:
    results = list(pool.map(solve, ["p1", "p2", "p3"]))  # want RLD2001 "ThreadPoolExecutor on line 15 runs 16 chats at once"
