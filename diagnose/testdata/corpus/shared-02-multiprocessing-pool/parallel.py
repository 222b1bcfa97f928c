import os
from multiprocessing import Pool

import autogen

CONFIG = [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}]


def run_one(topic):
    writer = autogen.AssistantAgent("writer", llm_config={"config_list": CONFIG, "cache_seed": None})
    user = autogen.UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=2)
    res = user.initiate_chat(writer, message=f"Write a tweet about {topic}", max_turns=2)
    return res.summary


if __name__ == "__main__":
    topics = [f"topic {i}" for i in range(200)]
    with Pool(processes=8) as pool:
        tweets = pool.map(run_one, topics)
    print(len(tweets))
