from concurrent.futures import ThreadPoolExecutor

import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")


def summarise(path):
    writer = autogen.AssistantAgent("writer", llm_config={"config_list": config_list, "cache_seed": 42})
    reader = autogen.UserProxyAgent("reader", human_input_mode="NEVER", max_consecutive_auto_reply=2,
                                    code_execution_config=False)
    return reader.initiate_chat(writer, message=f"Summarise {path}", max_turns=2).summary


files = [f"docs/{i}.md" for i in range(200)]
with ThreadPoolExecutor(max_workers=32) as pool:
    summaries = list(pool.map(summarise, files))  # want RLD2001 "ThreadPoolExecutor on line 17 runs 32 chats"
