import csv

import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST", filter_dict={"model": ["gpt-4o"]})
labeler = autogen.AssistantAgent("labeler", llm_config={"config_list": config_list, "cache_seed": 42},
                                 system_message="Label the sentiment of the row: positive, negative or neutral.")
driver = autogen.UserProxyAgent("driver", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=0)

with open("reviews.csv") as fh:
    rows = list(csv.DictReader(fh))

labels = []
for row in rows[:200]:
    res = driver.initiate_chat(labeler, message=row["text"], clear_history=False, max_turns=1)
    labels.append(res.summary)
