from concurrent.futures import ThreadPoolExecutor
import autogen

llm_config = {
    "config_list": autogen.config_list_from_json("OAI_CONFIG_LIST"),
    "cache_seed": 41,
}


def review_file(path):
    reviewer = autogen.AssistantAgent("reviewer", llm_config=llm_config,
                                      system_message="Review the code. End with TERMINATE.")
    driver = autogen.UserProxyAgent("driver", human_input_mode="NEVER", code_execution_config=False,
                                    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""))
    with open(path) as fh:
        snippet = fh.read()[:4000]
    return driver.initiate_chat(reviewer, message=snippet, max_turns=3).summary


paths = open("changed_files.txt").read().split()
with ThreadPoolExecutor(max_workers=24) as pool:
    reviews = list(pool.map(review_file, paths))
