import json
import subprocess

import pandas as pd
import requests
from autogen import AssistantAgent, UserProxyAgent, register_function

assistant = AssistantAgent("assistant", llm_config={"config_list": [{"model": "gpt-4o"}]})
executor = UserProxyAgent("executor", human_input_mode="NEVER", max_consecutive_auto_reply=5)


def read_file(path: str) -> str:
    with open(path) as fh:
        return fh.read()  # want RLD4001 "tool read_file returns a whole file read \(fh.read\(\)\)"


def fetch(url: str) -> str:
    resp = requests.get(url, timeout=30)
    return resp.text  # want RLD4001 "tool fetch returns the whole HTTP response body"


def query(sql: str) -> str:
    df = pd.read_csv("sales.csv")
    return df.to_string()  # want RLD4001 "tool query returns a whole data frame"


def run(cmd: str) -> str:
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout  # want RLD4001 "subprocess"


def dump() -> str:
    data = json.load(open("big.json"))
    return json.dumps(data)  # want RLD4001 "json.dumps of a whole object \(data\)"


for fn in (read_file, fetch, query, run, dump):
    register_function(fn, caller=assistant, executor=executor, description=fn.__name__)
register_function(read_file, caller=assistant, executor=executor, description="read a file")
register_function(fetch, caller=assistant, executor=executor, description="fetch a url")
register_function(query, caller=assistant, executor=executor, description="query sales")
register_function(run, caller=assistant, executor=executor, description="run a command")
register_function(dump, caller=assistant, executor=executor, description="dump data")
