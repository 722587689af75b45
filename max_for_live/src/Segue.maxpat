{
  "patcher": {
    "fileversion": 1,
    "appversion": {
      "major": 8,
      "minor": 6,
      "revision": 0,
      "architecture": "x64",
      "modernui": 1
    },
    "classnamespace": "box",
    "rect": [100.0, 100.0, 900.0, 600.0],
    "openrect": [0.0, 0.0, 376.0, 169.0],
    "openinpresentation": 1,
    "default_fontsize": 10.0,
    "default_fontface": 0,
    "default_fontname": "Ableton Sans Medium",
    "gridonopen": 1,
    "gridsize": [8.0, 8.0],
    "gridsnaponopen": 1,
    "objectsnaponopen": 1,
    "statusbarvisible": 2,
    "toolbarvisible": 1,
    "boxanimatetime": 200,
    "enablehscroll": 1,
    "enablevscroll": 1,
    "devicewidth": 0.0,
    "description": "segue: continue the selected MIDI clip with an LSTM through the segue bridge (segue serve).",
    "digest": "Continue a MIDI clip into new clips",
    "tags": "segue midi generate lstm osc",
    "style": "",
    "subpatcher_template": "",
    "boxes": [
      {
        "box": {
          "id": "obj-1",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 3,
          "outlettype": ["bang", "int", "int"],
          "patching_rect": [30.0, 20.0, 90.0, 22.0],
          "text": "live.thisdevice"
        }
      },
      {
        "box": {
          "id": "obj-2",
          "maxclass": "message",
          "numinlets": 2,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [30.0, 52.0, 32.0, 22.0],
          "text": "init"
        }
      },
      {
        "box": {
          "id": "obj-3",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": ["int"],
          "patching_rect": [560.0, 20.0, 45.0, 22.0],
          "text": "midiin"
        }
      },
      {
        "box": {
          "id": "obj-4",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [560.0, 52.0, 55.0, 22.0],
          "text": "midiout"
        }
      },
      {
        "box": {
          "id": "obj-5",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 5,
          "outlettype": ["", "", "", "", ""],
          "patching_rect": [30.0, 330.0, 420.0, 22.0],
          "saved_object_attributes": {
            "filename": "segue.js",
            "parameter_enable": 0
          },
          "text": "js segue.js"
        }
      },
      {
        "box": {
          "id": "obj-6",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [30.0, 400.0, 140.0, 22.0],
          "text": "udpsend 127.0.0.1 9123"
        }
      },
      {
        "box": {
          "id": "obj-7",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [470.0, 280.0, 150.0, 22.0],
          "text": "udpreceive 9124 @defer 1"
        }
      },
      {
        "box": {
          "annotation": "Continue the clip shown in the Clip View: new clips appear in the empty slots below it.",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-8",
          "maxclass": "live.text",
          "mode": 0,
          "numinlets": 1,
          "numoutlets": 2,
          "outlettype": ["", ""],
          "parameter_enable": 1,
          "patching_rect": [30.0, 100.0, 70.0, 20.0],
          "presentation": 1,
          "presentation_rect": [8.0, 24.0, 76.0, 22.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_enum": ["val1", "val2"],
              "parameter_info": "Continue the clip shown in the Clip View: new clips appear in the empty slots below it.",
              "parameter_invisible": 2,
              "parameter_longname": "Continue",
              "parameter_mmax": 1,
              "parameter_shortname": "Continue",
              "parameter_type": 2
            }
          },
          "text": "Continue",
          "texton": "Continue",
          "varname": "continue_clip"
        }
      },
      {
        "box": {
          "id": "obj-9",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [30.0, 260.0, 157.0, 22.0],
          "text": "prepend continue_clip"
        }
      },
      {
        "box": {
          "annotation": "Generate new clips from nothing on this device's track, from the selected scene down.",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-10",
          "maxclass": "live.text",
          "mode": 0,
          "numinlets": 1,
          "numoutlets": 2,
          "outlettype": ["", ""],
          "parameter_enable": 1,
          "patching_rect": [130.0, 100.0, 70.0, 20.0],
          "presentation": 1,
          "presentation_rect": [90.0, 24.0, 76.0, 22.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_enum": ["val1", "val2"],
              "parameter_info": "Generate new clips from nothing on this device's track, from the selected scene down.",
              "parameter_invisible": 2,
              "parameter_longname": "Generate",
              "parameter_mmax": 1,
              "parameter_shortname": "Generate",
              "parameter_type": 2
            }
          },
          "text": "Generate",
          "texton": "Generate",
          "varname": "generate_new"
        }
      },
      {
        "box": {
          "id": "obj-11",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [150.0, 260.0, 150.0, 22.0],
          "text": "prepend generate_new"
        }
      },
      {
        "box": {
          "annotation": "Temperature: 0 = always the likeliest note; higher = more adventurous.",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-12",
          "maxclass": "live.dial",
          "numinlets": 1,
          "numoutlets": 2,
          "outlettype": ["", "float"],
          "parameter_enable": 1,
          "patching_rect": [250.0, 100.0, 44.0, 48.0],
          "presentation": 1,
          "presentation_rect": [8.0, 54.0, 44.0, 48.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_info": "0 = always the likeliest note; higher = more adventurous.",
              "parameter_initial": [1.0],
              "parameter_initial_enable": 1,
              "parameter_longname": "Temperature",
              "parameter_mmax": 2.0,
              "parameter_mmin": 0.0,
              "parameter_shortname": "Temp",
              "parameter_type": 0,
              "parameter_unitstyle": 1
            }
          },
          "showname": 1,
          "shownumber": 1,
          "varname": "temperature"
        }
      },
      {
        "box": {
          "id": "obj-13",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [250.0, 260.0, 143.0, 22.0],
          "text": "prepend temperature"
        }
      },
      {
        "box": {
          "annotation": "Bars: length of each new clip in bars of the source clip's meter.",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-14",
          "maxclass": "live.numbox",
          "numinlets": 1,
          "numoutlets": 2,
          "outlettype": ["", "float"],
          "parameter_enable": 1,
          "patching_rect": [320.0, 100.0, 44.0, 15.0],
          "presentation": 1,
          "presentation_rect": [62.0, 70.0, 40.0, 15.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_info": "Length of each new clip in bars of the source clip's meter.",
              "parameter_initial": [4.0],
              "parameter_initial_enable": 1,
              "parameter_longname": "Bars",
              "parameter_mmax": 32.0,
              "parameter_mmin": 1.0,
              "parameter_shortname": "Bars",
              "parameter_type": 1,
              "parameter_unitstyle": 0
            }
          },
          "varname": "bars"
        }
      },
      {
        "box": {
          "id": "obj-15",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [340.0, 260.0, 94.0, 22.0],
          "text": "prepend bars"
        }
      },
      {
        "box": {
          "annotation": "Variations: how many different continuations, one new clip each.",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-16",
          "maxclass": "live.numbox",
          "numinlets": 1,
          "numoutlets": 2,
          "outlettype": ["", "float"],
          "parameter_enable": 1,
          "patching_rect": [390.0, 100.0, 44.0, 15.0],
          "presentation": 1,
          "presentation_rect": [112.0, 70.0, 40.0, 15.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_info": "How many different continuations (new clips).",
              "parameter_initial": [2.0],
              "parameter_initial_enable": 1,
              "parameter_longname": "Variations",
              "parameter_mmax": 16.0,
              "parameter_mmin": 1.0,
              "parameter_shortname": "Variations",
              "parameter_type": 1,
              "parameter_unitstyle": 0
            }
          },
          "varname": "variations"
        }
      },
      {
        "box": {
          "id": "obj-17",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [430.0, 260.0, 136.0, 22.0],
          "text": "prepend variations"
        }
      },
      {
        "box": {
          "annotation": "Model: one of the bridge's models (the list comes from the bridge); default = drums on a Drum Rack's track, else the bridge's choice for the clip (auto).",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-18",
          "maxclass": "live.menu",
          "numinlets": 1,
          "numoutlets": 3,
          "outlettype": ["", "", "float"],
          "parameter_enable": 1,
          "patching_rect": [460.0, 100.0, 100.0, 15.0],
          "presentation": 1,
          "presentation_rect": [230.0, 10.0, 110.0, 15.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_enum": ["default", "drums", "melody", "polyphonic", "producer"],
              "parameter_info": "The bridge's model; default = drums on a Drum Rack's track, else the bridge's choice for the clip.",
              "parameter_initial": [0.0],
              "parameter_initial_enable": 1,
              "parameter_invisible": 1,
              "parameter_longname": "Model",
              "parameter_mmax": 4,
              "parameter_shortname": "Model",
              "parameter_type": 2
            }
          },
          "varname": "model"
        }
      },
      {
        "box": {
          "id": "obj-19",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [520.0, 260.0, 101.0, 22.0],
          "text": "prepend model"
        }
      },
      {
        "box": {
          "annotation": "Key lock: auto keeps every new note in the key detected in the source clip; live follows the set's scale (Live 12) while Scale Mode is on.",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-20",
          "maxclass": "live.tab",
          "num_lines_patching": 1,
          "num_lines_presentation": 1,
          "numinlets": 1,
          "numoutlets": 3,
          "outlettype": ["", "", "float"],
          "parameter_enable": 1,
          "patching_rect": [580.0, 100.0, 96.0, 15.0],
          "presentation": 1,
          "presentation_rect": [230.0, 30.0, 96.0, 15.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_enum": ["off", "auto", "live"],
              "parameter_info": "Key lock: auto = the source clip's key; live = the set's scale while Scale Mode is on (Live 12), else off.",
              "parameter_initial": [2.0],
              "parameter_initial_enable": 1,
              "parameter_longname": "Key lock",
              "parameter_mmax": 2,
              "parameter_shortname": "Key",
              "parameter_type": 2
            }
          },
          "varname": "key"
        }
      },
      {
        "box": {
          "id": "obj-21",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [610.0, 260.0, 87.0, 22.0],
          "text": "prepend key"
        }
      },
      {
        "box": {
          "annotation": "Bridge port: the UDP port `segue serve` listens on (default 9123).",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-22",
          "maxclass": "live.numbox",
          "numinlets": 1,
          "numoutlets": 2,
          "outlettype": ["", "float"],
          "parameter_enable": 1,
          "patching_rect": [670.0, 100.0, 50.0, 15.0],
          "presentation": 1,
          "presentation_rect": [290.0, 72.0, 50.0, 15.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_info": "UDP port of the segue bridge on this computer (segue serve --port).",
              "parameter_initial": [9123.0],
              "parameter_initial_enable": 1,
              "parameter_invisible": 1,
              "parameter_longname": "Bridge port",
              "parameter_mmax": 65535.0,
              "parameter_mmin": 1024.0,
              "parameter_shortname": "Bridge",
              "parameter_type": 0,
              "parameter_unitstyle": 0
            }
          },
          "varname": "bridge_port"
        }
      },
      {
        "box": {
          "id": "obj-23",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [700.0, 260.0, 143.0, 22.0],
          "text": "prepend bridge_port"
        }
      },
      {
        "box": {
          "annotation": "Reply port: the first UDP port this device tries for the bridge's replies; another segue device in the set takes the next free one (the status line shows it).",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-24",
          "maxclass": "live.numbox",
          "numinlets": 1,
          "numoutlets": 2,
          "outlettype": ["", "float"],
          "parameter_enable": 1,
          "patching_rect": [740.0, 100.0, 50.0, 15.0],
          "presentation": 1,
          "presentation_rect": [290.0, 90.0, 50.0, 15.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_info": "First UDP port this device tries for the bridge's replies; each segue device takes its own.",
              "parameter_initial": [9124.0],
              "parameter_initial_enable": 1,
              "parameter_invisible": 1,
              "parameter_longname": "Reply port",
              "parameter_mmax": 65535.0,
              "parameter_mmin": 1024.0,
              "parameter_shortname": "Reply",
              "parameter_type": 0,
              "parameter_unitstyle": 0
            }
          },
          "varname": "reply_port"
        }
      },
      {
        "box": {
          "id": "obj-25",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [800.0, 260.0, 136.0, 22.0],
          "text": "prepend reply_port"
        }
      },
      {
        "box": {
          "annotation": "Memory: how strongly the clip's own phrases come back (1 as in the music the model learnt from, 0 off, up to 4 for loops).",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-26",
          "maxclass": "live.numbox",
          "numinlets": 1,
          "numoutlets": 2,
          "outlettype": ["", "float"],
          "parameter_enable": 1,
          "patching_rect": [880.0, 100.0, 44.0, 15.0],
          "presentation": 1,
          "presentation_rect": [112.0, 92.0, 40.0, 15.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_info": "How strongly the clip's own phrases come back: 1 as in the music the model learnt from, 0 off, up to 4 for loops.",
              "parameter_initial": [1.0],
              "parameter_initial_enable": 1,
              "parameter_longname": "Memory",
              "parameter_mmax": 4.0,
              "parameter_mmin": 0.0,
              "parameter_shortname": "Memory",
              "parameter_type": 0,
              "parameter_unitstyle": 1
            }
          },
          "varname": "memory"
        }
      },
      {
        "box": {
          "id": "obj-27",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [880.0, 260.0, 108.0, 22.0],
          "text": "prepend memory"
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-28",
          "linecount": 3,
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [30.0, 440.0, 380.0, 46.0],
          "presentation": 1,
          "presentation_rect": [8.0, 112.0, 360.0, 46.0],
          "text": "starting..."
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-29",
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [30.0, 520.0, 60.0, 18.0],
          "presentation": 1,
          "presentation_rect": [8.0, 4.0, 60.0, 18.0],
          "text": "segue"
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-30",
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [320.0, 80.0, 40.0, 18.0],
          "presentation": 1,
          "presentation_rect": [60.0, 54.0, 40.0, 16.0],
          "text": "Bars"
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-31",
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [390.0, 80.0, 60.0, 18.0],
          "presentation": 1,
          "presentation_rect": [110.0, 54.0, 60.0, 16.0],
          "text": "Variations"
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-32",
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [460.0, 80.0, 40.0, 18.0],
          "presentation": 1,
          "presentation_rect": [180.0, 8.0, 46.0, 16.0],
          "text": "Model"
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-33",
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [580.0, 80.0, 50.0, 18.0],
          "presentation": 1,
          "presentation_rect": [180.0, 28.0, 50.0, 16.0],
          "text": "Key lock"
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-34",
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [670.0, 80.0, 60.0, 18.0],
          "presentation": 1,
          "presentation_rect": [180.0, 70.0, 100.0, 16.0],
          "text": "Bridge port"
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-35",
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [740.0, 80.0, 60.0, 18.0],
          "presentation": 1,
          "presentation_rect": [180.0, 88.0, 100.0, 16.0],
          "text": "Reply port"
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-36",
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [880.0, 80.0, 50.0, 18.0],
          "presentation": 1,
          "presentation_rect": [60.0, 91.0, 50.0, 16.0],
          "text": "Memory"
        }
      },
      {
        "box": {
          "annotation": "Top-k: sample only from the k likeliest choices of each note field (0 = off).",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-37",
          "maxclass": "live.numbox",
          "numinlets": 1,
          "numoutlets": 2,
          "outlettype": ["", "float"],
          "parameter_enable": 1,
          "patching_rect": [950.0, 100.0, 44.0, 15.0],
          "presentation": 1,
          "presentation_rect": [230.0, 50.0, 40.0, 15.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_info": "Sample only from the k likeliest choices of each note field; 0 = off.",
              "parameter_initial": [0.0],
              "parameter_initial_enable": 1,
              "parameter_longname": "Top-k",
              "parameter_mmax": 40.0,
              "parameter_mmin": 0.0,
              "parameter_shortname": "Top-k",
              "parameter_type": 1,
              "parameter_unitstyle": 0
            }
          },
          "varname": "top_k"
        }
      },
      {
        "box": {
          "id": "obj-38",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [950.0, 260.0, 108.0, 22.0],
          "text": "prepend top_k"
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-39",
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [950.0, 80.0, 50.0, 18.0],
          "presentation": 1,
          "presentation_rect": [180.0, 48.0, 50.0, 16.0],
          "text": "Top-k"
        }
      },
      {
        "box": {
          "annotation": "Learn: tune a new model on every MIDI clip of the set (Session and Arrangement; drum tracks kept apart) in the bridge's background; it then appears in the Model menu.",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-40",
          "maxclass": "live.text",
          "mode": 0,
          "numinlets": 1,
          "numoutlets": 2,
          "outlettype": ["", ""],
          "parameter_enable": 1,
          "patching_rect": [230.0, 100.0, 60.0, 20.0],
          "presentation": 1,
          "presentation_rect": [120.0, 4.0, 52.0, 16.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_enum": ["val1", "val2"],
              "parameter_info": "Learn: tune a new model on every MIDI clip of the set (Session and Arrangement; drum tracks kept apart) in the bridge's background; it then appears in the Model menu.",
              "parameter_invisible": 2,
              "parameter_longname": "Learn",
              "parameter_mmax": 1,
              "parameter_shortname": "Learn",
              "parameter_type": 2
            }
          },
          "text": "Learn",
          "texton": "Learn",
          "varname": "learn_set"
        }
      },
      {
        "box": {
          "id": "obj-41",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [310.0, 260.0, 120.0, 22.0],
          "text": "prepend learn_set"
        }
      },
      {
        "box": {
          "annotation": "Fills: on a drum clip, a fill at the end of each 4-bar phrase (phrase) or of every 2 bars (often); none keeps the groove.",
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-42",
          "maxclass": "live.menu",
          "numinlets": 1,
          "numoutlets": 3,
          "outlettype": ["", "", "float"],
          "parameter_enable": 1,
          "patching_rect": [1080.0, 100.0, 70.0, 15.0],
          "presentation": 1,
          "presentation_rect": [300.0, 50.0, 62.0, 15.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_enum": ["none", "phrase", "often"],
              "parameter_info": "Drum clips: fills at the end of each 4-bar phrase, or of every 2 bars; none keeps the groove.",
              "parameter_initial": [0.0],
              "parameter_initial_enable": 1,
              "parameter_longname": "Fills",
              "parameter_mmax": 2,
              "parameter_shortname": "Fills",
              "parameter_type": 2
            }
          },
          "varname": "fills"
        }
      },
      {
        "box": {
          "id": "obj-43",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [1080.0, 260.0, 87.0, 22.0],
          "text": "prepend fills"
        }
      },
      {
        "box": {
          "fontname": "Ableton Sans Medium",
          "fontsize": 10.0,
          "id": "obj-44",
          "maxclass": "comment",
          "numinlets": 1,
          "numoutlets": 0,
          "patching_rect": [1080.0, 80.0, 40.0, 18.0],
          "presentation": 1,
          "presentation_rect": [272.0, 48.0, 30.0, 16.0],
          "text": "Fills"
        }
      },
      {
        "box": {
          "annotation": "The Model menu's model by name, saved with the set: after a reload the bridge's list may hold other models before it, and the name, not the menu's place, says which.",
          "id": "obj-45",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 3,
          "outlettype": ["", "", ""],
          "patching_rect": [330.0, 380.0, 150.0, 22.0],
          "saved_attribute_attributes": {
            "valueof": {
              "parameter_info": "The Model menu's model by name (stored with the set, not automatable).",
              "parameter_invisible": 1,
              "parameter_longname": "Model name",
              "parameter_shortname": "Model name",
              "parameter_type": 3
            }
          },
          "saved_object_attributes": {
            "parameter_enable": 1,
            "parameter_mappable": 0
          },
          "text": "pattr @parameter_enable 1",
          "varname": "saved_model"
        }
      },
      {
        "box": {
          "id": "obj-46",
          "maxclass": "newobj",
          "numinlets": 1,
          "numoutlets": 1,
          "outlettype": [""],
          "patching_rect": [330.0, 420.0, 115.0, 22.0],
          "text": "prepend savedmodel"
        }
      }
    ],
    "lines": [
      {
        "patchline": {
          "destination": ["obj-2", 0],
          "source": ["obj-1", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-4", 0],
          "source": ["obj-3", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-2", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-6", 0],
          "source": ["obj-5", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-7", 0],
          "source": ["obj-5", 2]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-7", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-9", 0],
          "source": ["obj-8", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-9", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-11", 0],
          "source": ["obj-10", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-11", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-13", 0],
          "source": ["obj-12", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-13", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-15", 0],
          "source": ["obj-14", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-15", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-17", 0],
          "source": ["obj-16", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-17", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-19", 0],
          "source": ["obj-18", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-19", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-21", 0],
          "source": ["obj-20", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-21", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-23", 0],
          "source": ["obj-22", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-23", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-25", 0],
          "source": ["obj-24", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-25", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-27", 0],
          "source": ["obj-26", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-27", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-28", 0],
          "source": ["obj-5", 1]
        }
      },
      {
        "patchline": {
          "destination": ["obj-18", 0],
          "source": ["obj-5", 3]
        }
      },
      {
        "patchline": {
          "destination": ["obj-38", 0],
          "source": ["obj-37", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-38", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-41", 0],
          "source": ["obj-40", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-41", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-43", 0],
          "source": ["obj-42", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-43", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-45", 0],
          "source": ["obj-5", 4]
        }
      },
      {
        "patchline": {
          "destination": ["obj-46", 0],
          "source": ["obj-45", 0]
        }
      },
      {
        "patchline": {
          "destination": ["obj-5", 0],
          "source": ["obj-46", 0]
        }
      }
    ],
    "parameters": {
      "obj-10": ["Generate", "Generate", 0],
      "obj-12": ["Temperature", "Temp", 0],
      "obj-14": ["Bars", "Bars", 0],
      "obj-16": ["Variations", "Variations", 0],
      "obj-18": ["Model", "Model", 0],
      "obj-20": ["Key lock", "Key", 0],
      "obj-22": ["Bridge port", "Bridge", 0],
      "obj-24": ["Reply port", "Reply", 0],
      "obj-26": ["Memory", "Memory", 0],
      "obj-37": ["Top-k", "Top-k", 0],
      "obj-40": ["Learn", "Learn", 0],
      "obj-42": ["Fills", "Fills", 0],
      "obj-45": ["Model name", "Model name", 0],
      "obj-8": ["Continue", "Continue", 0],
      "parameterbanks": {
        "0": {
          "index": 0,
          "name": "segue",
          "parameters": ["Temperature", "Bars", "Variations", "Memory", "Key lock", "Top-k", "Fills", "-"]
        }
      },
      "inherited_shortname": 1
    },
    "dependency_cache": [
      {
        "name": "segue.js",
        "bootpath": "~/Music/Ableton/User Library/Presets/MIDI Effects/Max MIDI Effect/segue",
        "type": "TEXT",
        "implicit": 1
      }
    ],
    "latency": 0,
    "is_mpe": 0,
    "minimum_live_version": "",
    "minimum_max_version": "",
    "platform_compatibility": 0,
    "project": {
      "version": 1,
      "creationdate": 3590052786,
      "modificationdate": 3590052786,
      "viewrect": [0.0, 0.0, 300.0, 500.0],
      "autoorganize": 1,
      "hideprojectwindow": 1,
      "showdependencies": 1,
      "autolocalize": 0,
      "contents": {
        "patchers": {}
      },
      "layout": {},
      "searchpath": {},
      "detailsvisible": 0,
      "amxdtype": 1835887981,
      "readonly": 0,
      "devpathtype": 0,
      "devpath": ".",
      "sortmode": 0,
      "viewmode": 0,
      "includepackages": 0
    },
    "autosave": 0
  }
}
